/** What a user can do about the errors this toolset's calls meet, besides the common ones (plugin-api). */
export const HINTS: Readonly<Record<string, string>> = {
  INVALID_INPUT: 'Check the class, method and suite names (list_apex_tests lists them).',
  ALREADY_IN_PROCESS: 'Another test run is in progress in this org; wait for it, or resume it by its id.',
};
