# Store server backend: switches the published generation in ONE update operation (kg/store_server.py,
# publish_to_server). The staged graphs move to their published names, the graphs published before are
# emptied, and the publication record is rewritten: the generation, its graphs and each graph's size.
# One operation rather than a request of MOVE / DROP operations: Virtuoso commits each operation of a
# request on its own, and under concurrent readers its MOVE waited past its transaction timeout.
# The three VALUES blocks are filled by switch_update: (?staged ?target) staging graph -> published name;
# ?old every graph the previous record published, and the record itself; (?s ?p ?o) the new record.
DELETE { GRAPH ?old { ?s ?p ?o } }
INSERT { GRAPH ?target { ?s ?p ?o } }
WHERE {
  { VALUES (?staged ?target) { } GRAPH ?staged { ?s ?p ?o } BIND(?staged AS ?old) }
  UNION
  { VALUES ?old { } GRAPH ?old { ?s ?p ?o } }
  UNION
  { VALUES (?s ?p ?o) { } BIND(<urn:kringloop:publication> AS ?target) }
}
