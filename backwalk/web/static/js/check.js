// The check, enhanced: follow-up questions appear only when they apply, errors get focus,
// and a second tap on the button does not send the form twice.

const form = document.querySelector('[data-check-form]');

function followUps() {
  for (const box of form.querySelectorAll('[data-follow-up-of]')) {
    const parent = box.dataset.followUpOf;
    const update = () => {
      const chosen = form.querySelector(`input[name="${parent}"]:checked`);
      const show = chosen !== null && (chosen.value === 'yes' || chosen.value === 'unsure');
      box.hidden = !show;
      for (const input of box.querySelectorAll('input')) input.disabled = !show;
    };
    form.addEventListener('change', (event) => {
      if (event.target.name === parent) update();
    });
    update();
  }
}

if (form) {
  for (const el of document.querySelectorAll('.js-hide')) el.hidden = true;
  followUps();
  const summary = document.querySelector('[data-error-summary]');
  if (summary) summary.focus();
  const button = form.querySelector('button[type="submit"]');
  form.addEventListener('submit', () => {
    window.setTimeout(() => {
      if (button) button.disabled = true;
    }, 0);
  });
  window.addEventListener('pageshow', () => {
    if (button) button.disabled = false;
  });
}
