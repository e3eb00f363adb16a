// The bell's unread count is fetched after the page loads, so rendering a page costs no extra query.
(function () {
  var bell = document.getElementById("bell");
  var badge = document.getElementById("bell-count");
  if (!bell || !badge || !window.fetch) return;
  fetch(bell.dataset.unreadUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (response) { return response.ok ? response.json() : null; })
    .then(function (data) {
      if (data && data.unread > 0) {
        badge.textContent = data.unread > 99 ? "99+" : String(data.unread);
        badge.hidden = false;
      }
    })
    .catch(function () {});
})();
