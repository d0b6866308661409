import { expect } from '@open-wc/testing';
import { checkFile, checkFiles } from '../../src/core/file-checks.ts';

const file = (name: string, type: string, size: number) => ({ name, type, size });

describe('checkFiles', () => {
  const limits = { accept: [] as string[], maxSize: 0, maxFiles: 10 };

  it('accepts everything when nothing limits it', () => {
    const files = [file('a.txt', 'text/plain', 1), file('b', '', 0)];
    expect(checkFiles(files, limits)).to.deep.equal({ accepted: files, rejected: [] });
  });

  it('refuses types outside accept, by MIME pattern or extension, with the accepted list', () => {
    const files = [file('photo.PNG', 'image/png', 5), file('doc.pdf', '', 5), file('notes.txt', 'text/plain', 5)];
    const { accepted, rejected } = checkFiles(files, { ...limits, accept: ['image/*', '.pdf'] });

    expect(accepted.map((f) => f.name)).to.deep.equal(['photo.PNG', 'doc.pdf']);
    expect(rejected).to.deep.equal([{ file: files[2], kind: 'accept', reason: 'Not an accepted type (accepted: image/*, .pdf)' }]);
  });

  it('refuses files larger than maxSize, naming both sizes', () => {
    const big = file('big.bin', 'application/octet-stream', 2_500_000);
    expect(checkFile(big, { accept: [], maxSize: 1_000_000 })).to.deep.equal({ kind: 'maxSize', reason: 'Larger than 1 MB (it is 2.5 MB)' });
    expect(checkFile(file('exact.bin', '', 1_000_000), { accept: [], maxSize: 1_000_000 })).to.equal(undefined);
  });

  it('gives the maxFiles places to the first files, counting those already chosen', () => {
    const files = ['1', '2', '3'].map((n) => file(`${n}.txt`, 'text/plain', 1));
    const { accepted, rejected } = checkFiles(files, { ...limits, maxFiles: 3 }, 1);

    expect(accepted.map((f) => f.name)).to.deep.equal(['1.txt', '2.txt']);
    expect(rejected.map((r) => [r.file.name, r.kind, r.reason])).to.deep.equal([['3.txt', 'maxFiles', 'At most 3 files can be chosen']]);
    expect(checkFiles(files, { ...limits, maxFiles: 1 }).rejected[0]!.reason).to.equal('Only 1 file can be chosen');
  });

  it('reports a file refused for its type rather than for the count', () => {
    const { rejected } = checkFiles([file('a.txt', 'text/plain', 1), file('b.exe', 'application/x-msdownload', 1)], { accept: ['text/*'], maxSize: 0, maxFiles: 1 });
    expect(rejected.map((r) => r.kind)).to.deep.equal(['accept']);
  });
});
