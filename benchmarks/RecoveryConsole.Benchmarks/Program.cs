using RecoveryConsole.Benchmarks.Support;

// Prints the performance figures of the README's benchmark table, each with its target and a naive baseline measured in
// the same run. Usage: dotnet run -c Release --project benchmarks/RecoveryConsole.Benchmarks -- [name ...] [--scale 0.1] [--list]
// The viewers benchmark starts this executable again as its SignalR clients' process.
if (args.Length > 0 && args[0] == ViewerClients.Mode) return await ViewerClients.RunAsync(args);

var benchmarks = typeof(IBenchmark).Assembly.GetTypes()
    .Where(t => t is { IsAbstract: false, IsInterface: false } && typeof(IBenchmark).IsAssignableFrom(t))
    .Select(t => (IBenchmark)Activator.CreateInstance(t)!)
    .OrderBy(b => b.Name, StringComparer.Ordinal)
    .ToList();

var scale = 1.0;
var chosen = new List<string>();
for (var i = 0; i < args.Length; i++)
{
    if (args[i] == "--list")
    {
        foreach (var b in benchmarks) Console.WriteLine($"{b.Name,-14} {b.Description}");
        return 0;
    }
    if (args[i] == "--scale" && i + 1 < args.Length) scale = double.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture);
    else chosen.Add(args[i]);
}
var unknown = chosen.Where(n => benchmarks.All(b => b.Name != n)).ToList();
if (unknown.Count > 0)
{
    Console.Error.WriteLine($"Unknown benchmark(s): {string.Join(", ", unknown)}. Known: {string.Join(", ", benchmarks.Select(b => b.Name))}.");
    return 2;
}

var report = new Report();
Console.WriteLine($"{Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, scale {scale}");
foreach (var b in benchmarks.Where(b => chosen.Count == 0 || chosen.Contains(b.Name)))
{
    report.CurrentBenchmark = b.Name;
    Console.WriteLine($"== {b.Name}: {b.Description}");
    await b.RunAsync(report, scale, CancellationToken.None);
}
report.PrintTable(Console.Out);
return 0;
