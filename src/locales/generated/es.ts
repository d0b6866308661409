
    // Do not modify this file by hand!
    // Re-generate this file by running lit-localize

    
    

    /* eslint-disable no-irregular-whitespace */
    /* eslint-disable @typescript-eslint/no-explicit-any */

    export const templates = {
      'sc6fb2672b96155f0': `Save to Alfresco`,
'sf6eea561ae6d9dff': `Choose files`,
's380c34975d5b9e4f': `Choose a file`,
's5e8250fb85d64c23': `Close`,
's91e3a47599412f51': `Sources`,
's803ce7e1a2294d50': `Files`,
'sa6c79a19a825440a': `Choose where to save the file.`,
's882911aaa47863ab': `Choose where your files are.`,
's614bb88a4a4e5eeb': `Set the picker’s server and api-key to list sources.`,
's3dbbaca4a8ac7585': `Loading sources…`,
's5c3e9eedb3db7b62': `The sources could not be loaded.`,
'scd1dd6ff53d0d01a': `Try again`,
's169ad585b44ab0f4': `This app has no sources enabled.`,
    };
  