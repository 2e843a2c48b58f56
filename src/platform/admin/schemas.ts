import { Type } from '@sinclair/typebox';

/** The platform's error envelope, as a schema for the OpenAPI document. */
export const PlatformError = Type.Object(
  {
    error: Type.Object({
      code: Type.String(),
      message: Type.String(),
      details: Type.Optional(Type.Unknown()),
      requestId: Type.String(),
    }),
  },
  { title: 'PlatformError' },
);
