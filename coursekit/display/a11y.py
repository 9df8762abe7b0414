"""Accessibility for the course's live widgets and charts where ipywidgets and JupyterLab leave gaps.

ipywidgets 8 gives a slider handle (`role="slider"`) no accessible name, puts radio buttons in a
plain `<div>` (no group, so a screen reader hears "1st, radio button" with no idea which item it
belongs to), and replaces a feedback paragraph on every update (a live region that is new each
time is often not announced). JupyterLab 4.6 ignores the `alt` metadata of PNG outputs, and
nbconvert writes "No description has been provided for this image" instead. None of this can be
set from Python, so:

- `attach(box)` adds a hidden `Output` widget to a widget box the course displays. Its HTML holds
  a style sheet (a visible focus ring, radio buttons and check boxes at least 24 px apart) and a
  script (`SCRIPT`) that names groups, sliders and text boxes, makes feedback areas live regions,
  marks toggle buttons as pressed, and gives chart images their alt text. JupyterLab runs scripts
  only in trusted outputs; an `Output` widget's content is trusted, and the widgets exist only
  while the kernel runs, so the script is there whenever the widgets are.
- `CHART_SCRIPT` is the one-line part for charts, which need no widget: `charts.show()` puts it in
  the chart's caption output. The stored (untrusted) notebook and GitHub drop it; then the
  caption's visible "Chart description:" still carries the text alternative.

Names come from what Python sets, in this order: a widget's `tooltip` (an explicit accessible
name; it must contain the visible description), its visible `description`, then the nearest HTML
widget before it (a row label, a question's prompt), up to three boxes out.
Every step is idempotent: the script runs again, harmlessly, for each widget box it ships with.
Nothing here is needed for the course to work; it is progressive enhancement.
"""
from __future__ import annotations

from typing import Any

#: Class of the hidden Output widget; the style sheet is scoped to the box that holds one.
MARKER = "ck-a11y"
#: Class of an HTML widget whose content is feedback or a readout: its container becomes a polite
#: live region (it persists while its content is replaced).
LIVE = "ck-live"

_ROOT = f".widget-box:has(> .{MARKER})"

STYLE = f"""<style>
{_ROOT} :is(input, button, select, textarea, summary, a[href], [role=slider], [tabindex="0"]):focus-visible {{
  outline: 3px solid var(--jp-brand-color1, #1565c0) !important; outline-offset: 2px !important;
}}
{_ROOT} .widget-radio-box label {{ min-height: 24px; align-items: center; margin: 2px 0; }}
{_ROOT} .widget-radio-box-horizontal label {{ min-width: 24px; margin-right: 1.4em; }}
{_ROOT} .widget-radio-box input[type=radio],
{_ROOT} .widget-checkbox input[type=checkbox] {{ width: 18px; height: 18px; flex: none; margin-left: 6px; }}
{_ROOT} .widget-checkbox {{ min-height: 26px; }}
{_ROOT} .widget-checkbox .widget-label-basic {{ align-items: center; }}
</style>"""

# Written for readability over size: it ships once in each widget box's hidden Output.
SCRIPT = r"""(function (script) {
  'use strict';
  var ck = window.coursekitA11y;
  if (!ck) {
    ck = window.coursekitA11y = {n: 0, roots: []};
    var text = function (el) {  // the text a reader sees: no <style> or <script> content
      if (!el) { return ''; }
      var out = [], walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (var t = walk.nextNode(); t; t = walk.nextNode()) {
        if (!t.parentElement.closest('style, script')) { out.push(t.nodeValue); }
      }
      return out.join('').replace(/[\s\u200b]+/g, ' ').trim();
    };
    var id = function (el) { if (!el.id) { el.id = 'ck-a11y-' + (++ck.n); } return el.id; };
    var named = function (el) {
      return el.hasAttribute('aria-label') || el.hasAttribute('aria-labelledby');
    };
    // The nearest HTML widget before `w`: a previous sibling, else one before a box around it.
    var context = function (w) {
      for (var level = 0, node = w; node && level < 4; level++, node = node.parentElement) {
        for (var p = node.previousElementSibling; p; p = p.previousElementSibling) {
          if (p.classList.contains('widget-html') && text(p)) { return p; }
        }
        if (!node.parentElement || !node.parentElement.classList.contains('widget-box')) { break; }
      }
      return null;
    };
    // A widget's name: its tooltip, its visible description, or the HTML before it.
    var nameOf = function (w) {
      var label = w.querySelector(':scope > .widget-label');
      // ipywidgets writes a tooltip of None as the string "null".
      var title = [label && label.title, w.getAttribute('title')].filter(function (t) {
        return t && t !== 'null';
      })[0] || '';
      if (title) { return {label: title}; }
      if (label && text(label) && label.style.display !== 'none') { return {ids: [label]}; }
      var c = context(w);
      return c ? {ids: [c]} : null;
    };
    var give = function (el, name, suffix) {
      if (!name || named(el)) { return; }
      if (name.label || suffix) {
        var words = name.label || name.ids.map(text).join(' ');
        el.setAttribute('aria-label', suffix ? words + suffix : words);
      } else {
        el.setAttribute('aria-labelledby', name.ids.map(id).join(' '));
      }
    };
    ck.charts = function (root) {
      root.querySelectorAll('.ck-chart-note .ck-alt').forEach(function (alt) {
        var child = alt.closest('.jp-OutputArea-child');
        var prev = child && child.previousElementSibling;
        var img = prev && prev.querySelector('img');
        if (img && img.getAttribute('alt') !== text(alt)) { img.setAttribute('alt', text(alt)); }
      });
    };
    ck.scan = function (root) {
      ck.charts(root);
      root.querySelectorAll('.widget-radio').forEach(function (w) {
        var box = w.querySelector(':scope > .widget-radio-box');
        if (!box) { return; }
        box.setAttribute('role', 'radiogroup');
        give(box, nameOf(w));
      });
      root.querySelectorAll('.widget-toggle-buttons').forEach(function (w) {
        var group = w.querySelector(':scope > div:not(.widget-label)');
        if (!group) { return; }
        group.setAttribute('role', 'group');
        give(group, nameOf(w));
        group.querySelectorAll('button').forEach(function (b) {
          var pressed = b.classList.contains('mod-active') ? 'true' : 'false';
          if (b.getAttribute('aria-pressed') !== pressed) { b.setAttribute('aria-pressed', pressed); }
        });
      });
      root.querySelectorAll('.widget-slider, .widget-hslider, .widget-vslider').forEach(function (w) {
        var handles = w.querySelectorAll('[role=slider]');
        var name = nameOf(w);
        handles.forEach(function (h, i) {
          var end = handles.length < 2 ? '' : (i === 0 ? ', lower end' : ', upper end');
          give(h, name, end);
        });
      });
      root.querySelectorAll('.widget-text, .widget-textarea, .widget-dropdown, .widget-select')
        .forEach(function (w) {
          var field = w.querySelector('input, textarea, select');
          var label = w.querySelector(':scope > .widget-label');
          if (field && !(label && text(label) && label.style.display !== 'none')) {
            give(field, nameOf(w));
          }
          // In a quiz, the question is the field's description ("Answer:" says little alone).
          var prompt = field && w.closest('.cq-question') &&
            w.closest('.cq-question').querySelector('.cq-prompt');
          if (prompt && !field.hasAttribute('aria-describedby')) {
            field.setAttribute('aria-describedby', id(prompt));
          }
        });
      root.querySelectorAll('.widget-box').forEach(function (box) {
        var kids = box.children;
        if (kids.length > 1 && Array.prototype.every.call(kids, function (k) {
          return k.classList.contains('widget-checkbox');
        })) {
          box.setAttribute('role', 'group');
          give(box, nameOf(box));
        }
      });
      root.querySelectorAll('.ck-live > .widget-html-content').forEach(function (region) {
        if (region.getAttribute('role') !== 'status') {
          region.setAttribute('role', 'status');
          region.setAttribute('aria-live', 'polite');
        }
      });
    };
    ck.watch = function (root) {
      if (ck.roots.indexOf(root) >= 0) { return; }
      ck.roots.push(root);
      var queued = false;
      new MutationObserver(function () {
        if (queued) { return; }
        queued = true;
        requestAnimationFrame(function () { queued = false; ck.scan(root); });
      }).observe(root, {childList: true, subtree: true, attributes: true,
                        attributeFilter: ['class']});
    };
  }
  var root = (script && script.closest && script.closest('.jp-Notebook')) || document.body;
  ck.watch(root);
  ck.scan(root);
})(document.currentScript);"""

#: For a chart's caption output: give the chart image just before it its alt text.
CHART_SCRIPT = (
    "<script>(function(s){var a=s&&s.parentNode.querySelector('.ck-alt'),"
    "c=s&&s.closest('.jp-OutputArea-child'),p=c&&c.previousElementSibling,"
    "i=p&&p.querySelector('img');if(a&&i){i.setAttribute('alt',"
    "a.textContent.replace(/\\s+/g,' ').trim());}})(document.currentScript);</script>")


def html() -> str:
    """The hidden Output's HTML: the style sheet and the script."""
    return f"{STYLE}<script>{SCRIPT}</script>"


def enhancer():
    """A hidden Output widget carrying `html()`."""
    import ipywidgets as widgets

    out = widgets.Output(layout=widgets.Layout(display="none"))
    out.add_class(MARKER)
    out.outputs = ({"output_type": "display_data", "metadata": {},
                    "data": {"text/html": html(), "text/plain": ""}},)
    return out


def attach(box: Any) -> Any:
    """Add the enhancer to `box` (a VBox or HBox the course displays) once; returns `box`."""
    if not any(MARKER in getattr(child, "_dom_classes", ()) for child in box.children):
        box.children = (*box.children, enhancer())
    return box


def live(widget: Any) -> Any:
    """Mark an HTML widget as a live region (feedback, a readout, a status line); returns it."""
    widget.add_class(LIVE)
    return widget
