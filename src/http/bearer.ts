/** The credential of an `Authorization: Bearer <credential>` header (the scheme in any case), if any. */
export function bearerToken(header: string | undefined): string | undefined {
  return /^bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? '')?.[1];
}
