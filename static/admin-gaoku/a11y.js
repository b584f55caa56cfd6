// select2 (Django's autocomplete boxes) names neither its box nor its typing field: give both the field's label.
(function () {
  function name() {
    document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      var label = select.id && document.querySelector('label[for="' + select.id + '"]');
      var box = select.nextElementSibling;
      if (!label || !box || !box.classList.contains("select2")) return;
      if (!label.id) label.id = select.id + "-label";
      var combobox = box.querySelector(".select2-selection");
      var shown = combobox && combobox.getAttribute("aria-labelledby");
      if (combobox && (shown || "").indexOf(label.id) !== 0) {
        combobox.setAttribute("aria-labelledby", label.id + (shown ? " " + shown : ""));
      }
      // The chosen value is text inside the named combobox, not a second, nameless text box.
      box.querySelectorAll(".select2-selection__rendered[role=textbox]").forEach(function (shownText) {
        shownText.removeAttribute("role");
        shownText.removeAttribute("aria-readonly");
      });
      var typing = box.querySelector(".select2-search__field");
      if (typing) typing.setAttribute("aria-label", label.textContent.trim());
    });
  }
  // After Django's autocomplete.js has built the boxes (its jQuery ready handler was registered first).
  if (window.django && django.jQuery) django.jQuery(function () { setTimeout(name, 0); });
  window.addEventListener("load", name);
  document.addEventListener("change", function () { setTimeout(name, 0); });
})();
