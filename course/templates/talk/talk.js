/* Fits each slide of a talk into reveal.js's slide box (course/site.py builds the decks).

   The build splits a lecture into slides by an estimate of their height; this script measures the
   real thing on the slide being shown, once its math is typeset and its figures decoded:
   - a display equation, a code block or a printed output wider than the slide is set in a smaller
     font (MathJax's HTML-CSS output is in ems, so an equation scales with its container's font),
     never below MIN_FONT of its size;
   - figures shrink together, never below MIN_FIGURE of their size, until the slide fits its height.
   A slide is fitted once (the layout of a slide does not depend on its fragments: hidden fragments
   keep their space) and then carries data-fitted="1". */
var Talk = (function () {
  // The speaker notes keep their TeX as written (the speaker view has no MathJax), and MathJax
  // spends no time on them. This script is inline after the slides, so this runs as the page is
  // parsed, before MathJax's first typeset (at the page's load).
  document.querySelectorAll("aside.notes").forEach(function (n) { n.classList.add("tex2jax_ignore"); });

  var MIN_FONT = 0.5, MIN_FIGURE = 0.45;
  var WIDE = ".MathJax_Display, div.highlight > pre, .jp-OutputArea-output > pre, .jp-RenderedMarkdown table";

  function shown(el) { return !el.closest("aside.notes"); }

  /* Set el's font so that its content fits its width; return the factor used (1: unchanged). */
  function fitWidth(el) {
    el.style.fontSize = "";
    var avail = el.clientWidth, need = el.scrollWidth;
    if (!avail || need <= avail + 1) return 1;
    var factor = Math.max(MIN_FONT, avail / need * 0.98);
    el.style.fontSize = parseFloat(getComputedStyle(el).fontSize) * factor + "px";
    return factor;
  }

  /* Shrink the slide's figures so that the slide is at most `height` tall; return the factor. */
  function fitHeight(slide, height) {
    var imgs = Array.prototype.filter.call(slide.querySelectorAll("img"), shown);
    imgs.forEach(function (img) { img.style.maxHeight = ""; });
    var over = slide.scrollHeight - height;
    var total = imgs.reduce(function (s, img) { return s + img.offsetHeight; }, 0);
    if (over <= 0 || !total) return 1;
    var factor = Math.max(MIN_FIGURE, (total - over) / total);
    imgs.forEach(function (img) { img.style.maxHeight = img.offsetHeight * factor + "px"; });
    return factor;
  }

  function fit(slide, size) {
    var fonts = Array.prototype.filter.call(slide.querySelectorAll(WIDE), shown).map(fitWidth);
    var figures = fitHeight(slide, size.height);
    slide.dataset.fontFactor = Math.min.apply(null, fonts.concat([1])).toFixed(2);
    slide.dataset.figureFactor = figures.toFixed(2);
  }

  function whenDecoded(slide) {
    var imgs = Array.prototype.filter.call(slide.querySelectorAll("img"), shown);
    return Promise.all(imgs.map(function (img) { return img.decode ? img.decode().catch(function () {}) : null; }));
  }

  function start(Reveal, size) {
    function show(slide) {
      if (!slide || slide.dataset.fitted) return;
      var done = function () {
        whenDecoded(slide).then(function () {
          fit(slide, size);
          slide.dataset.fitted = "1";
          Reveal.layout();
        });
      };
      // MathJax typesets hidden slides with wrong metrics: typeset again once the slide is shown.
      if (window.MathJax && MathJax.Hub && slide.querySelector(".MathJax, .MathJax_Display"))
        MathJax.Hub.Queue(["Rerender", MathJax.Hub, slide], done);
      else if (window.MathJax && MathJax.Hub) MathJax.Hub.Queue(done);
      else done();
    }
    Reveal.on("ready", function (e) { show(e.currentSlide); });
    Reveal.on("slidechanged", function (e) { show(e.currentSlide); });
  }

  return {start: start, fit: fit};
})();
