// Starts `overclaim lsp` for Markdown, HTML and plain-text documents.
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const [command, ...args] = vscode.workspace.getConfiguration("overclaim").get("command");
  client = new LanguageClient(
    "overclaim",
    "overclaim",
    { command, args },
    {
      documentSelector: [
        { scheme: "file", language: "markdown" },
        { scheme: "file", language: "html" },
        { scheme: "file", language: "plaintext" },
        { scheme: "untitled", language: "markdown" },
      ],
    },
  );
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
