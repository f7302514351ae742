namespace RecoveryConsole.Orchestration.Tests.Support;

/// <summary>Procedure files for engine tests: a fixed header with a recovery-host parameter, and the steps given.</summary>
public static class TestProcedure
{
    public static string With(string steps, string parameters = "", string preflight = "") => $$"""
        id: test
        title: Test procedure
        source: { document: 000_fa5c83705aa298d9.txt, section: "5.3.2.2" }
        parameters:
          - { name: recoveryHost, type: host, from: controlPlaneHosts, default: m0 }
        {{parameters}}
        {{(preflight.Length > 0 ? "preflight:\n" + preflight : "")}}
        steps:
        {{steps}}
        """;
}
