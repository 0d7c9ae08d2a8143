// The check, enhanced: on the emergency screen a tick (or 'not sure') sends the screen at once,
// because the check stops there; 'yes' and 'not sure' for one sign exclude each other; "None of
// these" hides once something is ticked; errors get focus; a second tap does not send twice.

const form = document.querySelector('[data-check-form]');

function signs() {
  const boxes = [...form.querySelectorAll('.sign input[type="checkbox"]')];
  const none = form.querySelector('[data-none]');
  const update = () => {
    if (none) none.hidden = boxes.some((box) => box.checked);
  };
  form.addEventListener('change', (event) => {
    const box = event.target;
    if (!boxes.includes(box)) return;
    if (box.checked) {
      for (const other of boxes) if (other.name === box.name && other !== box) other.checked = false;
    }
    update();
    if (box.checked && form.hasAttribute('data-stop-on-tick')) form.requestSubmit();
  });
  update();
}

if (form) {
  signs();
  const summary = document.querySelector('[data-error-summary]');
  if (summary) summary.focus();
  const buttons = form.querySelectorAll('button[type="submit"]');
  form.addEventListener('submit', () => {
    window.setTimeout(() => {
      for (const button of buttons) button.disabled = true;
    }, 0);
  });
  window.addEventListener('pageshow', () => {
    for (const button of buttons) button.disabled = false;
  });
}
