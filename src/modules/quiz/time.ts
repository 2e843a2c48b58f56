/** The seed's CreatedAt: Unix time in seconds. */
export const unixSeconds = (d: Date): number => Math.floor(d.getTime() / 1000);
