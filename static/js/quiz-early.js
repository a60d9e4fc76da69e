// Runs before the page paints (not deferred): marks that scripts run, so the
// stylesheet can lay the questionnaire out one question at a time from the
// first frame. Without it, every question would paint and then all but one
// would hide: a large layout shift.
document.documentElement.classList.add("js");
try {
  if (window.sessionStorage.getItem("role-guides-quiz-started") === "1") {
    document.documentElement.classList.add("quiz-resumed");
  }
} catch (e) { /* storage blocked: start from the introduction */ }
