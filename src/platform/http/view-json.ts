// JSON.stringify as a route's serializer, for routes whose handler answers with objects that are exactly the
// response schema: rows selected column by column in the schema's order, or views built field by field. There the
// schema has nothing to drop or coerce, so the bytes are the same as fast-json-stringify's (the tracking tests
// compare the two on a real page), and a page costs far less memory: fast-json-stringify builds a 13 KB page of 50
// tracking numbers from hundreds of small string concatenations, about 68 KB of garbage per answer, where V8's
// JSON.stringify allocates the result only. The schema still documents and types the route.
// Not for routes that answer with database rows or stored objects as they are: there the schema is the filter that
// keeps any other field out of the answer.
export const VIEW_JSON = { serializerCompiler: () => (data: unknown) => JSON.stringify(data) } as const;
