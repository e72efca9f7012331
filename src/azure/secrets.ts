/** Masks secrets (keys, SAS signatures, tokens, client secrets) in text meant for people. */
const patterns: ReadonlyArray<[RegExp, string]> = [
  // SAS query parameters: signature and the whole token when it appears as a query string.
  [/([?&]sig=)[^&\s"']+/gi, '$1***'],
  // Connection strings and JSON/YAML fields that carry secrets.
  [/(AccountKey=)[^;\s"']+/gi, '$1***'],
  [/(SharedAccessSignature=)[^;\s"']+/gi, '$1***'],
  [/("(?:key|accountKey|sasToken|clientSecret|client_secret|secret|password|access_token|refresh_token|token)"\s*:\s*")[^"]*(")/gi, '$1***$2'],
  [/((?:client_secret|access_token|refresh_token)=)[^&\s"']+/gi, '$1***'],
  // Authorization headers.
  [/(Bearer\s+)[A-Za-z0-9\-._~+/]+=*/g, '$1***'],
  [/(SharedKey\s+[^:\s]+:)[A-Za-z0-9+/=]+/g, '$1***'],
];

export function maskSecrets(text: string): string {
  let masked = text;
  for (const [pattern, replacement] of patterns) masked = masked.replace(pattern, replacement);
  return masked;
}

/** Tags, params and the like with each value masked (a value may be a SAS URL or a connection string). */
export function maskSecretValues(values: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([name, value]) => [name, maskSecrets(value)]));
}
