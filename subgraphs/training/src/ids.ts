// Ids of this subgraph and of the network's shared entities are UUIDs. A representation or
// argument carrying anything else names no record: it resolves to null and never reaches SQL,
// where it would fail as a bad cast.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(id: unknown): id is string {
  return typeof id === 'string' && UUID.test(id);
}
