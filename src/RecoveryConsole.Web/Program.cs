using RecoveryConsole.Web.Hosting;

// Composition lives in ConsoleHost so that tests start exactly this app on a real port.
var app = ConsoleHost.Build(args);
await app.RunAsync();
