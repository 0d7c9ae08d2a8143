// WCAG 2.2 checks run in the page by tests/web/wcag22.py (page.evaluate, which the page's
// Content-Security-Policy does not govern). Evaluates to an object of functions.
(() => {
  // What a pointer can act on: links, buttons, form fields, summaries, anything focusable.
  const TARGETS = 'a[href], button, input:not([type=hidden]), select, textarea, summary, '
    + "[role=button], [tabindex]:not([tabindex='-1'])";

  const rendered = (el) => getComputedStyle(el).visibility !== 'hidden'
    && el.getClientRects().length > 0;

  const describe = (el) => {
    const text = (el.getAttribute('aria-label') || el.textContent || el.value || '').trim();
    const id = el.id ? `#${el.id}` : '';
    const cls = el.classList.length ? `.${[...el.classList].join('.')}` : '';
    return `<${el.tagName.toLowerCase()}${id}${cls}> "${text.replace(/\s+/g, ' ').slice(0, 40)}"`;
  };

  const union = (rects) => {
    const left = Math.min(...rects.map((r) => r.left));
    const top = Math.min(...rects.map((r) => r.top));
    const right = Math.max(...rects.map((r) => r.right));
    const bottom = Math.max(...rects.map((r) => r.bottom));
    return { left, top, right, bottom, width: right - left, height: bottom - top };
  };

  // The box a pointer can hit: the element's, with its labels' when a label activates it (a
  // tap on "Not sure" ticks the box).
  const hitBox = (el) => {
    const labels = [...(el.labels || [])].filter(rendered);
    return union([el, ...labels].map((e) => e.getBoundingClientRect()));
  };

  const blockOf = (el) => {
    let block = el.parentElement;
    while (block && getComputedStyle(block).display.startsWith('inline')) {
      block = block.parentElement;
    }
    return block;
  };

  // 2.5.8's inline exception: the target flows in a sentence or block of text (display
  // inline, with words around it in the same block that are not themselves targets).
  const inSentence = (el) => {
    if (getComputedStyle(el).display !== 'inline') return false;
    const block = blockOf(el);
    if (!block) return false;
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const words = /[A-Za-z0-9]/.test(node.textContent);
      if (words && !node.parentElement.closest(TARGETS)) return true;
    }
    return false;
  };

  const centre = (b) => [(b.left + b.right) / 2, (b.top + b.bottom) / 2];

  const circleMeetsBox = ([x, y], b, radius) => {
    const dx = Math.max(b.left - x, 0, x - b.right);
    const dy = Math.max(b.top - y, 0, y - b.bottom);
    return Math.hypot(dx, dy) < radius;
  };

  // Targets under min x min CSS px: those no exception covers (small), and those the inline
  // and spacing exceptions cover. Spacing: a circle of diameter min centred on the target
  // meets no other target, nor another small target's circle.
  const smallTargets = (min) => {
    const targets = [...document.querySelectorAll(TARGETS)].filter(rendered)
      .map((el) => ({ el, box: hitBox(el) }));
    const small = targets.filter((t) => t.box.width < min - 0.01 || t.box.height < min - 0.01);
    const spaced = (t) => targets.every((o) => {
      if (o === t || o.el.contains(t.el) || t.el.contains(o.el)) return true;
      if (small.includes(o)) {
        const [a, b] = [centre(t.box), centre(o.box)];
        return Math.hypot(a[0] - b[0], a[1] - b[1]) >= min;
      }
      return !circleMeetsBox(centre(t.box), o.box, min / 2);
    });
    const found = { small: [], inline: [], spaced: [], checked: targets.length };
    for (const t of small) {
      const said = `${describe(t.el)} ${t.box.width.toFixed(1)} x ${t.box.height.toFixed(1)} px`;
      if (inSentence(t.el)) found.inline.push(said);
      else if (spaced(t)) found.spaced.push(said);
      else found.small.push(said);
    }
    return found;
  };

  const overlaps = (p, r) => p.left < r.right && p.right > r.left
    && p.top < r.bottom && p.bottom > r.top;

  // After a Tab: is the focused element in the window and on top where it is, not under a
  // part of the page that is fixed or sticky (2.4.11)? The points tested are the middles of
  // the parts of the element inside the window (a link that wraps is one box per line).
  const focusSeen = () => {
    const el = document.activeElement;
    if (!el || el === document.body || el === document.documentElement) return null;
    const [w, h] = [innerWidth, innerHeight];
    const said = describe(el);
    const inside = [...el.getClientRects()]
      .filter((f) => f.bottom > 0 && f.top < h && f.right > 0 && f.left < w);
    if (!inside.length) return { said, problem: 'outside the window' };
    const ours = (node) => node && (el === node || el.contains(node)
      || [...(el.labels || [])].some((l) => l.contains(node)));
    const hits = inside.map((f) => document.elementFromPoint(
      (Math.max(f.left, 0) + Math.min(f.right, w)) / 2,
      (Math.max(f.top, 0) + Math.min(f.bottom, h)) / 2,
    ));
    if (!hits.some(ours)) {
      return { said, problem: `under ${hits[0] ? describe(hits[0]) : 'nothing'}` };
    }
    const box = el.getBoundingClientRect();
    for (const part of document.querySelectorAll('body *')) {
      const { position } = getComputedStyle(part);
      const stuck = position === 'fixed' || position === 'sticky';
      if (stuck && !part.contains(el) && rendered(part)
          && overlaps(part.getBoundingClientRect(), box)) {
        return { said, problem: `overlapped by the ${position} ${describe(part)}` };
      }
    }
    return { said, problem: null };
  };

  // Tab goes on from the last element focused or clicked: start it from the top of the page.
  const startAtTheTop = () => {
    const start = document.createElement('span');
    start.id = 'wcag-start';
    start.tabIndex = -1;
    document.body.prepend(start);
    start.focus();
    window.scrollTo(0, 0);
  };

  // Everything focusable, marked so the test can focus each by script (what Tab passes over:
  // the other radios of a group, which the arrow keys reach).
  const markFocusable = () => [...document.querySelectorAll(TARGETS)]
    .filter((el) => rendered(el) && !el.disabled && el.tabIndex >= 0)
    .map((el, i) => {
      el.dataset.wcagFocus = String(i);
      return String(i);
    });

  const dragging = () => [
    ...[...document.querySelectorAll('input[type=range]')].map((el) => `range input ${el.name}`),
    ...[...document.querySelectorAll('[draggable=true]')].map((el) => `draggable ${describe(el)}`),
  ];

  // Where the way to urgent help is: how many, its place in the banner, and what it says.
  const urgentHelp = () => {
    const all = document.querySelectorAll('[data-urgent-help]');
    const help = all[0];
    if (!help) return { count: 0 };
    const banner = document.querySelector('body > header');
    const firstLandmark = document.querySelector('body > header, body > nav, body > main, main');
    const path = [];
    for (let el = help; el && el !== banner && el !== document.body; el = el.parentElement) {
      path.unshift(`${el.tagName.toLowerCase()}.${el.classList[0]}`);
    }
    const link = help.querySelector('a');
    const before = help.previousElementSibling;
    return {
      count: all.length,
      in_banner: Boolean(banner && banner.contains(help)),
      banner_first: banner === firstLandmark,
      path: path.join(' > '),
      after: before ? `${before.tagName.toLowerCase()}.${before.classList[0]}` : null,
      href: link ? link.getAttribute('href') : null,
      text: link ? link.textContent.trim() : null,
      shown: rendered(help),
    };
  };

  // What sticks out past the window's right edge (to say why a page scrolls sideways).
  const tooWide = (width) => [...document.querySelectorAll('body *')]
    .filter((el) => el.getBoundingClientRect().right > width + 1)
    .slice(0, 3)
    .map(describe);

  return {
    smallTargets, focusSeen, startAtTheTop, markFocusable, dragging, urgentHelp, tooWide,
  };
})()
