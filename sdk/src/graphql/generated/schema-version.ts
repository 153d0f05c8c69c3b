/** The released API contract (schema/released/v1.0.0.graphql) these types were generated for. */
export const SCHEMA_VERSION = '1.0.0';