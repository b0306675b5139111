/* Home: the map of Flanders coloured by the number of cases, front-runners outlined. */
"use strict";
(() => {
  const container = document.getElementById("home-map");
  if (container) KL.drawMap(container, {classify: (p) => KL.caseClass(p.cases), frontrunners: true});
})();
