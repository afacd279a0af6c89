// Signing material is read from the environment (or the OS key store), never from the repository.

/** What each platform needs to sign; `missingSigning` lists the variables that are not set. */
export const SIGNING_ENV = {
  linux: [['VIGIE_GPG_KEY_ID', 'MINISIGN_SECRET_KEY']],
  win: [['WIN_CSC_LINK', 'CSC_LINK'], ['WIN_CSC_KEY_PASSWORD', 'CSC_KEY_PASSWORD']],
  mac: [['CSC_LINK'], ['CSC_KEY_PASSWORD'], ['APPLE_ID'], ['APPLE_APP_SPECIFIC_PASSWORD'], ['APPLE_TEAM_ID']],
};
export function missingSigning(target, env = process.env) {
  return SIGNING_ENV[target].filter((alternatives) => !alternatives.some((name) => env[name])).map((a) => a.join(' or '));
}
