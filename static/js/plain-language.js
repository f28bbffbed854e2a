// Plain-language advice below the textareas of public texts (web.forms.PlainLanguageTextarea):
// while one types, how many sentences are longer than B1 advises, which words are long, and how
// often the passive voice ("wordt … gedaan") is used. Advice only: nothing is blocked.
(function () {
  "use strict";

  // A Dutch past participle: ge…d / ge…t / ge…en, also after a separable part (gemaakt,
  // gegeven, gebouwd, aangelegd, opgeruimd). A heuristic: it is advice, not a grammar check.
  var PARTICIPLE = /^\p{L}{0,6}ge\p{L}{2,}(d|t|en)$/u;
  var AUXILIARY = /^(word|wordt|worden|werd|werden|geworden)$/u;

  function sentencesOf(text) {
    return text
      .split(/(?<=[.!?])\s+|\n{2,}/u)
      .map(function (sentence) { return sentence.trim(); })
      .filter(function (sentence) { return sentence.length > 0; });
  }

  function wordsOf(sentence) {
    return sentence.toLowerCase().match(/\p{L}[\p{L}'-]*/gu) || [];
  }

  function isPassive(words) {
    var auxiliary = words.findIndex(function (word) { return AUXILIARY.test(word); });
    if (auxiliary < 0) return false;
    return words.some(function (word, index) {
      return index !== auxiliary && PARTICIPLE.test(word);
    });
  }

  // The advice for `text`: { sentences, words: [long words], passive }.
  function measure(text, limits) {
    var advice = { sentences: 0, words: [], passive: 0 };
    sentencesOf(text).forEach(function (sentence) {
      var words = wordsOf(sentence);
      if (words.length > limits.sentence_words) advice.sentences += 1;
      if (isPassive(words)) advice.passive += 1;
      words.forEach(function (word) {
        var letters = word.replace(/[^\p{L}]/gu, "");
        if (letters.length >= limits.word_letters && advice.words.indexOf(word) < 0) {
          advice.words.push(word);
        }
      });
    });
    return advice;
  }

  function show(textarea, output, texts) {
    var text = textarea.value;
    if (!text.trim()) {
      output.hidden = true;
      output.textContent = "";
      return;
    }
    var advice = measure(text, texts);
    var lines = [];
    if (advice.sentences) lines.push(texts.sentences.replace("{n}", advice.sentences));
    if (advice.words.length) {
      lines.push(
        texts.words
          .replace("{n}", advice.words.length)
          .replace("{examples}", advice.words.slice(0, 3).join(", "))
      );
    }
    if (advice.passive) lines.push(texts.passive.replace("{n}", advice.passive));
    if (!lines.length) lines.push(texts.fine);
    var title = document.createElement("strong");
    title.textContent = texts.title;
    var list = document.createElement("ul");
    lines.forEach(function (line) {
      var item = document.createElement("li");
      item.textContent = line;
      list.appendChild(item);
    });
    output.replaceChildren(title, list);
    output.hidden = false;
  }

  function attach(root) {
    root.querySelectorAll("textarea[data-plain-language]").forEach(function (textarea) {
      if (textarea.dataset.plainLanguageReady) return;
      var output = document.getElementById(textarea.dataset.plainLanguage);
      if (!output) return;
      textarea.dataset.plainLanguageReady = "1";
      var texts = JSON.parse(output.dataset.texts);
      var timer = null;
      textarea.addEventListener("input", function () {
        clearTimeout(timer);
        timer = setTimeout(function () { show(textarea, output, texts); }, 300);
      });
      show(textarea, output, texts);
    });
  }

  document.addEventListener("DOMContentLoaded", function () { attach(document); });
  // Forms that htmx swaps in (the agenda's items, the actions of a plan).
  document.addEventListener("htmx:load", function (event) { attach(event.target); });
})();
