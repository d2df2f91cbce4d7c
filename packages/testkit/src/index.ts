export { createTestDatabase, testPostgresUrl, type DatabaseModule } from './databases.ts';
export {
  postGraphQL,
  tokenFor,
  tokenSettings,
  type GraphQLResponse,
  type TestViewer,
} from './graphql.ts';
export { startInProcessStack, type InProcessStack } from './in-process.ts';
