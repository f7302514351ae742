// The buttons of the connection banner (Layout/ConnectionBanner.razor). Wired here because the CSP forbids inline
// handlers. Retry asks blazor.web.js to rejoin the same session; when the console no longer knows it (restarted, or the
// session was released), only a reload can show the current state, so that is what Retry falls back to.
(function () {
  document.addEventListener('click', function (e) {
    const button = e.target instanceof Element ? e.target.closest('[data-rc-connection]') : null;
    if (!button) return;
    e.preventDefault();
    if (button.getAttribute('data-rc-connection') === 'reload' || !window.Blazor || !window.Blazor.reconnect) {
      location.reload();
      return;
    }
    window.Blazor.reconnect().then(function (rejoined) { if (!rejoined) location.reload(); }, function () { location.reload(); });
  });
})();
