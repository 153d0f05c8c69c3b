/** Where each endpoint answers. The public API and the trainer's endpoint never share a schema. */
export const GRAPHQL_PATH = '/graphql';
/** graphql-ws also answers here (the path v0 documented); `/graphql` itself accepts the upgrade too. */
export const GRAPHQL_WS_PATH = '/graphql/ws';
export const TRAINER_GRAPHQL_PATH = '/trainer/graphql';
export const GRAPHIQL_ASSETS_PATH = '/graphiql/assets/';
export const HEALTHZ_PATH = '/healthz';
export const READYZ_PATH = '/readyz';

/** The path of a request URL, without its query string. */
export const pathOf = (url: string | undefined) => (url ?? '/').split('?', 1)[0]!;
