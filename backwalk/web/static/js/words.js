// The words screen: an emergency sign answered Yes or Not sure decides at once, and once every
// question has an answer the form goes on by itself, so Yes and No behave alike. Without
// JavaScript, "Continue" does the same (after an emergency Yes the rest may stay blank).
const form = document.querySelector('[data-words-form]');
if (form) {
  form.addEventListener('change', (event) => {
    const input = event.target;
    const emergency = input.closest('.words-emergency');
    const decides = emergency && (input.value === 'yes' || input.value === 'unsure');
    const questions = [...form.querySelectorAll('fieldset.question')];
    const allAnswered = questions.every((q) => q.querySelector('input:checked'));
    if (decides || allAnswered) form.requestSubmit();
  });
}
