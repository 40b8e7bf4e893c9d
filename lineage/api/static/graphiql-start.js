// GraphiQL on this service's own /graphql, from the files the service serves (no CDN).
(function () {
  "use strict";
  const fetcher = GraphiQL.createFetcher({ url: new URL("/graphql", window.location.href).href });
  const root = ReactDOM.createRoot(document.getElementById("graphiql"));
  root.render(React.createElement(GraphiQL, { fetcher: fetcher, defaultEditorToolsVisibility: true }));
})();
