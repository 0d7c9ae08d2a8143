// The words screen: an emergency sign answered Yes or Not sure decides at once, so the form is
// sent straight away (without JavaScript, "Continue" does the same and the rest may stay blank).
const form = document.querySelector('[data-words-form]');
if (form) {
  form.addEventListener('change', (event) => {
    const input = event.target;
    const emergency = input.closest('.words-emergency');
    if (emergency && input.checked && (input.value === 'yes' || input.value === 'unsure')) {
      form.requestSubmit();
    }
  });
}
