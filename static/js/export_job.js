// While an export is being built, ask its progress every two seconds; reload when it has finished.
(function () {
  var box = document.getElementById("export-job");
  if (!box || !box.dataset.poll || !window.fetch) return;
  var bar = box.querySelector(".progress-bar");
  var timer = setInterval(function () {
    fetch(box.dataset.poll, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) return;
        if (bar) { bar.style.width = data.progress + "%"; bar.textContent = data.progress + "%"; }
        if (data.status !== box.dataset.status && (data.status === "done" || data.status === "failed")) {
          clearInterval(timer);
          window.location.reload();
        }
      })
      .catch(function () {});
  }, 2000);
})();
