/* The note's print button (the page runs under a CSP without inline script). */
"use strict";
document.getElementById("note-print")?.addEventListener("click", () => window.print());
