import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ConvertOptionsSchema,
  ExportFileOptionsSchema,
  PickOptionsSchema,
  StoreOptionsSchema,
  StoreToOptionsSchema,
  parseOptions,
} from '../../src/protocol/index.ts';
import { assertInvalid } from './assert-invalid.ts';

const pick = (input: unknown) => parseOptions('pick', PickOptionsSchema, input);
const convert = (input: unknown) => parseOptions('convert', ConvertOptionsSchema, input);
const exportFile = (input: unknown) => parseOptions('exportFile', ExportFileOptionsSchema, input);
const store = (input: unknown) => parseOptions('store', StoreOptionsSchema, input);
const storeTo = (input: unknown) => parseOptions('pickAndStore', StoreToOptionsSchema, input);

describe('the Alfresco guide samples', () => {
  it('accepts pick { mimetypes: ["*/*"], services: ["ALFRESCO"] }', () => {
    assert.deepEqual(pick({ mimetypes: ['*/*'], services: ['ALFRESCO'] }), { services: ['ALFRESCO'], mimetypes: ['*/*'] });
  });

  it('accepts pick { services: ["ALFRESCO"], mimetype: "image/*" } and makes mimetype a list', () => {
    assert.deepEqual(pick({ services: ['ALFRESCO'], mimetype: 'image/*' }), { services: ['ALFRESCO'], mimetypes: ['image/*'] });
  });

  it('accepts convert { width: 400, height: 400 }', () => {
    assert.deepEqual(convert({ width: 400, height: 400 }), { width: 400, height: 400 });
  });

  it('accepts convert { width: 300, height: 300, crop_first: true }', () => {
    assert.deepEqual(convert({ width: 300, height: 300, crop_first: true }), { width: 300, height: 300, crop_first: true });
  });

  it('accepts exportFile { mimetype: "*/*", suggestedFilename: "newFile", services: ["ALFRESCO"] }', () => {
    assert.deepEqual(exportFile({ mimetype: '*/*', suggestedFilename: 'newFile', services: ['ALFRESCO'] }), {
      mimetype: '*/*',
      suggestedFilename: 'newFile',
      services: ['ALFRESCO'],
    });
  });

  it('accepts the convert store options { location: "S3" }', () => {
    assert.deepEqual(storeTo({ location: 'S3' }), { location: 'S3' });
  });
});

describe('parseOptions', () => {
  it('treats undefined and null as no options, with v2 default mimetypes', () => {
    assert.deepEqual(pick(undefined), { mimetypes: ['*/*'] });
    assert.deepEqual(pick(null), { mimetypes: ['*/*'] });
    assert.deepEqual(convert(undefined), {});
  });

  it('names an unknown option and suggests the known one', () => {
    assertInvalid(() => pick({ maxsize: 10 }), 'pick: unknown option "maxsize" (did you mean "maxSize"?)', 'maxsize');
    assertInvalid(() => convert({ cropFirst: true }), 'convert: unknown option "cropFirst" (did you mean "crop_first"?)', 'cropFirst');
    assertInvalid(() => convert({ colour: 'red' }), 'convert: unknown option "colour"', 'colour');
  });

  it('names an option of the wrong type and shows what it got', () => {
    assertInvalid(() => pick({ maxFiles: '3' }), 'pick: option "maxFiles" must be a positive integer, got "3"', 'maxFiles');
    assertInvalid(() => pick({ maxFiles: 2.5 }), 'pick: option "maxFiles" must be a positive integer, got 2.5', 'maxFiles');
    assertInvalid(() => pick({ multiple: 'yes' }), 'pick: option "multiple" must be true or false, got "yes"', 'multiple');
    assertInvalid(
      () => convert({ quality: 0 }),
      'convert: option "quality" must be a whole number from 1 to 100, got 0',
      'quality',
    );
    assertInvalid(
      () => convert({ fit: 'cover' }),
      'convert: option "fit" must be "clip", "crop", "scale" or "max", got "cover"',
      'fit',
    );
  });

  it('refuses a mimetype filter together with an extension filter, as v2 does', () => {
    assertInvalid(() => pick({ mimetype: 'image/*', extension: '.png' }), 'pick: give either "mimetype" or "extension", not both', 'extension');
    assertInvalid(() => pick({ mimetypes: ['image/*'], extensions: ['.png'] }), 'pick: give either "mimetypes" or "extensions", not both', 'extensions');
    assertInvalid(
      () => exportFile({ mimetype: 'image/png', extension: '.png' }),
      'exportFile: give either "mimetype" or "extension", not both',
      'extension',
    );
  });

  it('refuses options that are not an object', () => {
    assertInvalid(() => pick('image/*'), 'pick: options must be an object, got "image/*"', 'options');
    assertInvalid(() => pick(['ALFRESCO']), 'pick: options must be an object, got ["ALFRESCO"]', 'options');
  });
});

describe('pick options', () => {
  it('normalises services, extensions and singular forms', () => {
    assert.deepEqual(pick({ service: 'alfresco', extensions: 'PDF', openTo: 'Alfresco' }), {
      services: ['ALFRESCO'],
      extensions: ['.pdf'],
      openTo: 'ALFRESCO',
    });
    assert.deepEqual(pick({ extension: '.tar.gz', maxSize: 1024, maxFiles: 5, minFiles: 1, folders: true, container: 'window' }), {
      extensions: ['.tar.gz'],
      maxSize: 1024,
      maxFiles: 5,
      minFiles: 1,
      folders: true,
      container: 'window',
    });
  });

  it('names the bad item of a list', () => {
    assertInvalid(
      () => pick({ services: ['ALFRESCO', 'DROPBOX'] }),
      'pick: option "services[1]" must be "ALFRESCO", "WEBDAV", "CMIS", "COMPUTER" or "URL", got "DROPBOX"',
      'services',
    );
    assertInvalid(
      () => pick({ services: 'DROPBOX' }),
      'pick: option "services" must be "ALFRESCO", "WEBDAV", "CMIS", "COMPUTER" or "URL", got "DROPBOX"',
      'services',
    );
    assertInvalid(
      () => pick({ mimetypes: ['image/*', 'jpg'] }),
      'pick: option "mimetypes[1]" must be a MIME type such as "image/*", "application/pdf" or "*/*", got "jpg"',
      'mimetypes',
    );
  });

  it('checks options against each other', () => {
    assertInvalid(() => pick({ minFiles: 3, maxFiles: 2 }), 'pick: "minFiles" (3) is larger than "maxFiles" (2)', 'minFiles');
    assertInvalid(
      () => pick({ services: ['ALFRESCO'], openTo: 'URL' }),
      'pick: "openTo" is "URL", which is not one of the services offered (ALFRESCO)',
      'openTo',
    );
    assertInvalid(() => pick({ service: 'URL', services: ['URL'] }), 'pick: give either "service" or "services", not both', 'services');
    assertInvalid(
      () => pick({ policy: 'eyJ9' }),
      'pick: give both "policy" and "signature", or neither (got only "policy")',
      'signature',
    );
  });
});

describe('convert options', () => {
  it('maps w/h to width/height and parses crop, exif and positions', () => {
    assert.deepEqual(
      convert({ w: 120, h: 80, crop: '0, 10,200,100', exif: 'false', watermark_position: 'Right top', rotate: 'exif' }),
      { width: 120, height: 80, crop: [0, 10, 200, 100], exif: false, watermark_position: 'top,right', rotate: 'exif' },
    );
    assert.deepEqual(convert({ crop: [1, 2, 3, 4], format: 'webp', quality: 80, rotate: 90 }), {
      crop: [1, 2, 3, 4],
      format: 'webp',
      quality: 80,
      rotate: 90,
    });
  });

  it('refuses a width given twice and a bad crop', () => {
    assertInvalid(() => convert({ width: 100, w: 100 }), 'convert: give either "width" or "w", not both', 'w');
    assertInvalid(
      () => convert({ crop: [0, 0, 0, 10] }),
      'convert: option "crop" must be [x, y, width, height] in whole pixels (x and y at least 0, width and height at least 1), or the string "x,y,width,height", got [0,0,0,10]',
      'crop',
    );
    assertInvalid(() => convert({ rotate: '90' }), 'convert: option "rotate" must be a number of degrees or "exif", got "90"', 'rotate');
  });
});

describe('store options', () => {
  it('normalises the location and keeps the rest', () => {
    assert.deepEqual(store({ location: 's3', path: 'uploads/', access: 'public', filename: 'a.png', mimetype: 'Image/PNG' }), {
      location: 'S3',
      path: 'uploads/',
      access: 'public',
      filename: 'a.png',
      mimetype: 'image/png',
    });
    assert.deepEqual(storeTo({ storeContainer: 'bucket', location: 'local' }), { container: 'bucket', location: 'local' });
  });

  it('refuses locations fs-picker cannot store to and paths that climb out', () => {
    assertInvalid(
      () => store({ location: 'azure' }),
      'store: option "location" must be "S3" or "local" (the companion stores to S3 or to its own disk), got "azure"',
      'location',
    );
    assertInvalid(
      () => store({ path: 'a/../../etc' }),
      'store: option "path" must be a storage path such as "uploads/" without ".." segments, got "a/../../etc"',
      'path',
    );
    assertInvalid(
      () => storeTo({ container: 'a', storeContainer: 'b' }),
      'pickAndStore: give either "container" or "storeContainer", not both',
      'storeContainer',
    );
  });
});
