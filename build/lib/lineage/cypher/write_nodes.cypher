// write_nodes: create or replace merged nodes. Each node gets the :LineageNode label and, on
// creation, the one label of its kind (a node's kind never changes: it is part of its id).
// The kind labels are written out here, one branch per Kind, so no label comes from data.
// Parameters: $rows (list of {kind: a Kind value, props: map of the node's properties}).
UNWIND $rows AS row
MERGE (n:LineageNode {id: row.props.id})
SET n = row.props
FOREACH (_ IN CASE WHEN row.kind = 'source' THEN [1] ELSE [] END | SET n:Source)
FOREACH (_ IN CASE WHEN row.kind = 'topic' THEN [1] ELSE [] END | SET n:Topic)
FOREACH (_ IN CASE WHEN row.kind = 'dataset' THEN [1] ELSE [] END | SET n:Dataset)
FOREACH (_ IN CASE WHEN row.kind = 'job' THEN [1] ELSE [] END | SET n:Job)
FOREACH (_ IN CASE WHEN row.kind = 'feature' THEN [1] ELSE [] END | SET n:Feature)
FOREACH (_ IN CASE WHEN row.kind = 'model' THEN [1] ELSE [] END | SET n:Model)
FOREACH (_ IN CASE WHEN row.kind = 'schema' THEN [1] ELSE [] END | SET n:Schema)
