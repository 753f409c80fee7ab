// Starts the GraphiQL explorer on the page served by the gateway (no CDN: every file is local).
// The session cookie travels with each request (same origin), so signing in with the `login`
// mutation in the explorer signs the explorer in.
(function () {
  "use strict";
  var element = document.getElementById("graphiql");
  var endpoint = element.getAttribute("data-endpoint");
  var fetcher = GraphiQL.createFetcher({ url: endpoint });
  var defaultQuery = [
    "# Sign in with a demo card (password: birth date ddmmyyyy), then ask for your loans.",
    "mutation SignIn {",
    '  login(identifier: "2900000001", password: "14071985") {',
    "    patron { id displayName }",
    "    expiresAt",
    "    errors { code message }",
    "  }",
    "}",
    "",
    "query MyLoans {",
    "  me { id displayName loans { id dueDate } }",
    "}",
    "",
  ].join("\n");
  ReactDOM.createRoot(element).render(
    React.createElement(GraphiQL, { fetcher: fetcher, defaultQuery: defaultQuery })
  );
})();
