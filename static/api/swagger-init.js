// Swagger UI on the API's OpenAPI description (templates/api/docs.html). A file of its own,
// not an inline script: the Content-Security-Policy allows scripts from the portal only.
"use strict";
(function () {
  const element = document.getElementById("swagger-ui");
  if (!element || typeof SwaggerUIBundle === "undefined") {
    return;
  }
  SwaggerUIBundle({
    url: element.dataset.schemaUrl,
    domNode: element,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    deepLinking: false,
  });
})();
