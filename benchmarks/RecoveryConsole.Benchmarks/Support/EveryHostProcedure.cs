namespace RecoveryConsole.Benchmarks.Support;

/// <summary>A benchmark-only procedure file: one step that runs one command on every host of the cluster in a given mode.</summary>
public static class EveryHostProcedure
{
    public static string Yaml(string id, string mode, string title, string command) => $$"""
        id: {{id}}
        title: {{title}} ({{mode}})
        summary: Benchmark only. Every host of the cluster runs one command.
        source: { document: benchmark, section: "1" }
        applies: { product: openshift, versions: "4.16" }
        steps:
          - { id: cmd, title: {{title}}, section: "1", forEach: { hosts: allHosts, mode: {{mode}} }, run: "{{command}}" }
        """;
}
