// write_edges: create or replace merged edges, one relationship per (source, type, target).
// The relationship types are written out here, one branch per EdgeType, so no type comes
// from data. Both end nodes exist already (every edge endpoint is a node of its batch).
// Parameters: $rows (list of {source, target, type: an EdgeType value, props: map}).
UNWIND $rows AS row
MATCH (a:LineageNode {id: row.source})
MATCH (b:LineageNode {id: row.target})
FOREACH (_ IN CASE WHEN row.type = 'FEEDS' THEN [1] ELSE [] END |
  MERGE (a)-[r:FEEDS]->(b) SET r = row.props)
FOREACH (_ IN CASE WHEN row.type = 'TRIGGERS' THEN [1] ELSE [] END |
  MERGE (a)-[r:TRIGGERS]->(b) SET r = row.props)
FOREACH (_ IN CASE WHEN row.type = 'HAS_SCHEMA' THEN [1] ELSE [] END |
  MERGE (a)-[r:HAS_SCHEMA]->(b) SET r = row.props)
