// Auto-scroll for the run transcript: follows new lines while the reader is at the bottom, stops as soon as they
// scroll up (wheel, keys, scrollbar drag), and resumes when they come back to the bottom or press "Jump to latest".
// Only the reader's own input unpins: Virtualize moving its spacers also fires scroll events, and those must not.
window.rcTranscript = (function () {
  const slack = 40; // px from the bottom that still counts as "at the bottom"
  const upKeys = ['PageUp', 'ArrowUp', 'Home'];

  function atBottom(el) {
    return el.scrollTop + el.clientHeight >= el.scrollHeight - slack;
  }

  function pin(el, pinned) {
    el.rcPinned = pinned;
    const jump = el.parentElement && el.parentElement.querySelector('.rc-jump');
    if (jump) jump.hidden = pinned;
  }

  function toBottom(el) {
    if (el.rcPinned && !atBottom(el)) el.scrollTop = el.scrollHeight;
  }

  const wrapKey = 'rc.transcript.wrap';

  function wrapPreference() {
    try { return localStorage.getItem(wrapKey) === '1'; } catch (e) { return false; }
  }

  // A jump: the row's place is estimated from its index (rows are RowHeight px unless wrapped), then, once Virtualize
  // has rendered it, the row itself is brought to the middle (exact even when wrapped rows are taller).
  function scrollToRow(el, index, rowHeight, seq) {
    if (!el) return;
    pin(el, false);
    const target = Math.max(0, index * rowHeight - el.clientHeight / 2);
    if (seq < 0) { el.scrollTop = Math.max(0, index * rowHeight - el.clientHeight / 2); return; } // a place, not a line
    const started = Date.now();
    (function settle() {
      const row = el.querySelector('.rc-line[data-seq="' + seq + '"]');
      if (row) { row.scrollIntoView({ block: 'center' }); return; }
      // Until Virtualize has sized its spacers (a page just opened) the target may lie past the end: set it again.
      if (Math.abs(el.scrollTop - target) > el.clientHeight) el.scrollTop = target;
      if (Date.now() - started < 5000) requestAnimationFrame(settle);
    })();
  }

  function attach(el) {
    if (!el || el.rcAttached) return wrapPreference();
    el.rcAttached = true;
    pin(el, true);
    el.addEventListener('wheel', function (e) { if (e.deltaY < 0) pin(el, false); }, { passive: true });
    el.addEventListener('keydown', function (e) { if (upKeys.indexOf(e.key) >= 0) pin(el, false); });
    el.addEventListener('pointerdown', function () { el.rcDragging = true; });
    window.addEventListener('pointerup', function () { el.rcDragging = false; });
    el.addEventListener('scroll', function () {
      if (atBottom(el)) pin(el, true);
      else if (el.rcDragging) pin(el, false);
    }, { passive: true });
    // Virtualize settles its spacers after a render: keep pinned readers at the bottom until it has.
    el.rcTimer = setInterval(function () {
      if (!document.body.contains(el)) { clearInterval(el.rcTimer); return; }
      toBottom(el);
    }, 150);
    toBottom(el);
    return wrapPreference();
  }

  return {
    attach: attach,
    follow: function (el) { if (el) toBottom(el); },
    jump: function (el) { if (el) { pin(el, true); el.scrollTop = el.scrollHeight; } },
    isPinned: function (el) { return !!(el && el.rcPinned); },
    scrollToRow: scrollToRow,
    restart: function (el) { if (el) el.scrollTop = el.rcPinned ? el.scrollHeight : 0; },
    setWrap: function (on) { try { localStorage.setItem(wrapKey, on ? '1' : '0'); } catch (e) { /* private mode: not remembered */ } },
  };
})();
