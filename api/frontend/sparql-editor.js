/* Source of the SPARQL query box (CodeMirror 6 from npm), bundled by esbuild at install time
   (`npm run build`, run by `make install`) into node_modules/.kringloop/sparql-editor.js and served
   under /vendor/kringloop/. The built file is never committed.

   window.KLSparqlEditor.create(textarea, options) puts an editor with SPARQL highlighting and prefix
   completion in place of the textarea and keeps the textarea's value in step, so the page's own
   script (api/static/sparql.js) keeps reading and writing the textarea. */
import {EditorView, basicSetup} from "codemirror";
import {keymap} from "@codemirror/view";
import {Prec} from "@codemirror/state";
import {StreamLanguage} from "@codemirror/language";
import {autocompletion} from "@codemirror/autocomplete";
import {sparql} from "@codemirror/legacy-modes/mode/sparql";

const PREFIX_LINE = /^\s*PREFIX\s+([A-Za-z][\w-]*)?:?\s*$/i;

function declaredPrefixes(text) {
  const found = new Set();
  for (const match of text.matchAll(/PREFIX\s+([A-Za-z][\w-]*)?:/gi)) found.add(match[1] || "");
  return found;
}

// where a new PREFIX line goes: after the last existing one, else at the top
function prefixInsertPosition(doc) {
  let position = 0;
  for (let n = 1; n <= doc.lines; n++) {
    const line = doc.line(n);
    if (/^\s*PREFIX\s/i.test(line.text)) position = line.to + 1;
  }
  return Math.min(position, doc.length);
}

function prefixCompletions(prefixes) {
  const names = Object.keys(prefixes);
  return (context) => {
    const line = context.state.doc.lineAt(context.pos);
    const before = line.text.slice(0, context.pos - line.from);
    if (PREFIX_LINE.test(before)) {
      // after "PREFIX ": the whole declaration
      const word = context.matchBefore(/[A-Za-z][\w-]*:?$/);
      return {
        from: word ? word.from : context.pos,
        options: names.map((name) => ({label: name + ":", detail: prefixes[name], type: "namespace",
                                        apply: `${name}: <${prefixes[name]}>`})),
      };
    }
    const word = context.matchBefore(/[A-Za-z][\w-]*$/);
    if (!word || (word.from === word.to && !context.explicit)) return null;
    const declared = declaredPrefixes(context.state.doc.toString());
    return {
      from: word.from,
      validFor: /^[A-Za-z][\w-]*$/,
      options: names.map((name) => ({
        label: name + ":", detail: prefixes[name], type: "namespace",
        info: declared.has(name) ? undefined : "PREFIX " + name + ": <" + prefixes[name] + ">",
        apply: (view, completion, from, to) => {
          const changes = [{from, to, insert: name + ":"}];
          if (!declaredPrefixes(view.state.doc.toString()).has(name)) {
            changes.push({from: prefixInsertPosition(view.state.doc), insert: `PREFIX ${name}: <${prefixes[name]}>\n`});
          }
          view.dispatch({changes, selection: {anchor: from + name.length + 1 +
            (changes.length > 1 && changes[1].from <= from ? changes[1].insert.length : 0)}});
        },
      })),
    };
  };
}

function create(textarea, {prefixes = {}, onRun = null, labelId = null} = {}) {
  const language = StreamLanguage.define(sparql);
  const view = new EditorView({
    doc: textarea.value,
    extensions: [
      basicSetup,
      language,
      autocompletion({override: [prefixCompletions(prefixes)]}),
      Prec.highest(keymap.of([{key: "Mod-Enter", run: () => { if (onRun) onRun(); return true; }}])),
      EditorView.lineWrapping,
      EditorView.contentAttributes.of({"aria-labelledby": labelId || "", "aria-multiline": "true",
                                       "data-testid": "sparql-editor", spellcheck: "false", autocapitalize: "off"}),
      EditorView.updateListener.of((update) => { if (update.docChanged) textarea.value = update.state.doc.toString(); }),
    ],
  });
  textarea.after(view.dom);
  textarea.hidden = true;
  return {
    view,
    set(text) {
      view.dispatch({changes: {from: 0, to: view.state.doc.length, insert: text}});
      textarea.value = text;
    },
    focus() { view.focus(); },
  };
}

window.KLSparqlEditor = {create};
