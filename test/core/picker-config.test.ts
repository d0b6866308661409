import { expect } from '@open-wc/testing';
import { parseExportOptions, parsePickOptions, pickCall, saveCall, type SaveInput } from '../../src/core/call-options.ts';
import { configFrom, type PickerAttributes } from '../../src/core/picker-config.ts';
import { connected, initialPickerState, signedOut } from '../../src/core/picker-state.ts';

/** A call's options as config overrides: parsed, then mapped, as every way into the picker does. */
const pickOverrides = (options: unknown) => pickCall(parsePickOptions('pick', options)).overrides;
const exportOverrides = (input: SaveInput, options: unknown) => saveCall(input, parseExportOptions('exportFile', options)).overrides;

const ATTRIBUTES: PickerAttributes = { mode: 'pick', services: '', accept: '', multiple: false, maxFiles: undefined, minFiles: undefined, maxSize: undefined, folders: false, openTo: '' };

describe('picker configuration', () => {
  it('one file by default; several up to max-files with multiple', () => {
    expect(configFrom(ATTRIBUTES, {}).maxFiles).to.equal(1);
    expect(configFrom({ ...ATTRIBUTES, multiple: true }, {}).maxFiles).to.equal(1000);
    expect(configFrom({ ...ATTRIBUTES, multiple: true, maxFiles: 5, minFiles: 9 }, {})).to.include({ maxFiles: 5, minFiles: 5 });
  });

  it('reads comma lists of services and accept, ignoring unknown services', () => {
    const config = configFrom({ ...ATTRIBUTES, services: 'url, computer, dropbox', accept: 'image/*, .pdf' }, {});
    expect(config.services).to.deep.equal(['URL', 'COMPUTER']);
    expect(config.accept).to.deep.equal(['image/*', '.pdf']);
  });

  it("a call's options win over the attributes while it runs", () => {
    const overrides = pickOverrides({ mimetypes: ['image/png', 'image/jpeg'], maxFiles: 3 });
    const config = configFrom({ ...ATTRIBUTES, accept: '.pdf' }, overrides);
    expect(config).to.include({ multiple: true, maxFiles: 3 });
    expect(config.accept).to.deep.equal(['image/png', 'image/jpeg']);
  });

  it("v2's default */* filter offers every file", () => {
    expect(configFrom(ATTRIBUTES, pickOverrides({})).accept).to.deep.equal([]);
  });

  it('export mode offers the repositories only and names the file with the requested extension', () => {
    const overrides = exportOverrides(new File(['x'], 'report.txt', { type: 'text/plain' }), { extension: '.md' });
    const config = configFrom(ATTRIBUTES, overrides);
    expect(config).to.include({ mode: 'export', suggestedFilename: 'report.md', exportMimetype: 'text/plain' });
    expect(config.services).to.deep.equal(['ALFRESCO', 'WEBDAV', 'CMIS']);
    // The guide's exportFile names its services; a device among them cannot take a file.
    expect(configFrom(ATTRIBUTES, exportOverrides('', { services: ['CMIS', 'COMPUTER'] })).services).to.deep.equal(['CMIS']);
  });

  it('export takes the name from a URL when none is suggested', () => {
    expect(exportOverrides('https://example.com/files/Q3%20report.pdf', undefined).suggestedFilename).to.equal('Q3 report.pdf');
  });

  it('signing out forgets the connection, the folder and the selection', () => {
    const state = { ...initialPickerState(), ...connected(initialPickerState(), { session: 's', user: { id: 'u', name: 'U' } }), folderId: 'f', selection: [] };
    expect(signedOut(state)).to.deep.equal({ connection: null, folderId: null, folder: null, selection: [] });
  });
});
