// Hides the follow-up questions that do not apply (a "No" skips them). The server ignores answers
// to skipped questions anyway, so the form works the same without this script.
(function () {
  "use strict";
  var form = document.querySelector("form[data-skip-logic]");
  if (!form) { return; }
  var dependent = form.querySelectorAll("[data-skip-item]");

  function chosen(itemId) {
    var input = form.querySelector('input[name="' + itemId + '"]:checked');
    return input ? input.value : null;
  }

  function update() {
    dependent.forEach(function (fieldset) {
      var controlling = form.querySelector('[data-item="' + fieldset.dataset.skipItem + '"]');
      var values = fieldset.dataset.skipValues.split(" ");
      var skip = (controlling && controlling.hidden) ||
        values.indexOf(chosen(fieldset.dataset.skipItem)) !== -1;
      fieldset.hidden = skip;
      fieldset.querySelectorAll("input").forEach(function (input) { input.disabled = skip; });
    });
  }

  form.addEventListener("change", update);
  update();
})();
