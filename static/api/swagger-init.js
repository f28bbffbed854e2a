// Swagger UI on the API's OpenAPI description (templates/api/docs.html). A file of its own,
// not an inline script: the Content-Security-Policy allows scripts from the portal only.
"use strict";
(function () {
  const element = document.getElementById("swagger-ui");
  if (!element || typeof SwaggerUIBundle === "undefined") {
    return;
  }
  // Swagger UI's stylesheet comes with its script: the page without JavaScript needs neither,
  // and the two stylesheets of every page stay the only ones that block the first paint.
  const stylesheet = document.createElement("link");
  stylesheet.rel = "stylesheet";
  stylesheet.href = element.dataset.stylesheet;
  document.head.appendChild(stylesheet);
  SwaggerUIBundle({
    url: element.dataset.schemaUrl,
    domNode: element,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    deepLinking: false,
  });
})();
