import { expect } from '@open-wc/testing';
import { extensionFor, filenameProblem, numberedName, stemLength, withExtension } from '../../src/core/filename.ts';

describe('withExtension', () => {
  it('adds the extension for the type to a bare name', () => {
    expect(withExtension('report', 'application/pdf')).to.equal('report.pdf');
    expect(withExtension('Quarterly figures', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')).to.equal('Quarterly figures.xlsx');
  });

  it('swaps a known extension of another type and keeps the base name', () => {
    expect(withExtension('photo.png', 'image/jpeg')).to.equal('photo.jpg');
    expect(withExtension('notes.final.TXT', 'text/markdown')).to.equal('notes.final.md');
  });

  it('keeps a name that already has one of the type’s extensions, in any case', () => {
    expect(withExtension('photo.jpeg', 'image/jpeg')).to.equal('photo.jpeg');
    expect(withExtension('REPORT.PDF', 'application/pdf')).to.equal('REPORT.PDF');
    expect(withExtension('page.htm', 'text/html; charset=utf-8')).to.equal('page.htm');
  });

  it('adds rather than swaps when the dot is part of the name', () => {
    expect(withExtension('v1.2 notes', 'text/plain')).to.equal('v1.2 notes.txt');
    expect(withExtension('.profile', 'text/plain')).to.equal('.profile.txt');
  });

  it('leaves the name alone for an unknown or missing type, and trims it', () => {
    expect(withExtension(' data.bin ', 'application/x-unknown')).to.equal('data.bin');
    expect(withExtension('report', '')).to.equal('report');
    expect(withExtension('', 'application/pdf')).to.equal('');
  });

  it('knows the usual extension of a type', () => {
    expect(extensionFor('image/jpeg')).to.equal('jpg');
    expect(extensionFor('Text/Plain')).to.equal('txt');
    expect(extensionFor('application/x-nothing')).to.equal(undefined);
  });
});

describe('numberedName and stemLength', () => {
  it('numbers before the last dot, as Alfresco’s auto-rename does', () => {
    expect(numberedName('report.pdf')).to.equal('report-1.pdf');
    expect(numberedName('archive.tar.gz', 2)).to.equal('archive.tar-2.gz');
    expect(numberedName('README')).to.equal('README-1');
  });

  it('measures the stem so a field can select the name without its extension', () => {
    expect(stemLength('report.pdf')).to.equal(6);
    expect(stemLength('v1.2 notes')).to.equal(10);
  });
});

describe('filenameProblem', () => {
  it('accepts ordinary names, non-Latin ones included', () => {
    for (const name of ['report.pdf', 'Отчёт 2026.docx', '報告書.pdf', "it's (v2) #1.txt"]) expect(filenameProblem(name), name).to.equal(undefined);
  });

  it('names each kind of problem, with the characters Alfresco refuses', () => {
    expect(filenameProblem('   ')).to.deep.equal({ kind: 'empty' });
    expect(filenameProblem('a/b\\c.txt')).to.deep.equal({ kind: 'forbidden', characters: ['\\', '/'] });
    expect(filenameProblem('what?*.txt')).to.deep.equal({ kind: 'forbidden', characters: ['*', '?'] });
    for (const character of ['*', '"', '<', '>', '\\', '/', '?', ':', '|']) expect(filenameProblem(`a${character}b`)?.kind, character).to.equal('forbidden');
    expect(filenameProblem('draft.')).to.deep.equal({ kind: 'trailing-dot' });
    expect(filenameProblem('tab\there')).to.deep.equal({ kind: 'control' });
    expect(filenameProblem(`${'x'.repeat(252)}.txt`)).to.deep.equal({ kind: 'too-long', max: 255 });
  });
});
