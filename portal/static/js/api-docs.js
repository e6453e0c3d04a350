/* Interactive API documentation: Swagger UI (from npm, served from /static/vendor/) on the
   portal's own OpenAPI document. Loaded only by templates/api/swagger.html; without JavaScript
   that page links to the server-rendered documentation. */
(function () {
  "use strict";
  var target = document.getElementById("swagger-ui");
  if (!target || typeof window.SwaggerUIBundle !== "function") { return; }
  window.SwaggerUIBundle({
    url: target.getAttribute("data-spec-url"),
    domNode: target,
    deepLinking: true,
    validatorUrl: null,
    tryItOutEnabled: false
  });
})();
