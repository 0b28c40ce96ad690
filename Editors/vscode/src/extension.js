// Starts `eccoe lsp` for JSON and JSON-with-comments documents (VS Code opens *.jsonld as JSON, with its
// highlighting) and forwards the `eccoe` settings.
const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const command = vscode.workspace.getConfiguration("eccoe").get("path") || "eccoe";
  const serverOptions = { command, args: ["lsp", "--stdio"], transport: TransportKind.stdio };
  const clientOptions = {
    documentSelector: [
      { scheme: "file", language: "json" },
      { scheme: "file", language: "jsonc" },
    ],
    synchronize: {
      configurationSection: "eccoe",
      fileEvents: vscode.workspace.createFileSystemWatcher("**/*.{json,jsonld,jsonc}"),
    },
  };
  client = new LanguageClient("eccoe", "ECCOE", serverOptions, clientOptions);
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
