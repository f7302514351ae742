using System.Collections;
using System.Reflection;

namespace RecoveryConsole.Audit.Tests.TestSupport;

/// <summary>Compares every public scalar property of two objects (collections are compared by the caller).</summary>
public static class StateAssert
{
    public static void Equal<T>(T expected, T actual) where T : class
    {
        Assert.NotNull(actual);
        foreach (var property in typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0) continue;
            if (property.PropertyType != typeof(string) && typeof(IEnumerable).IsAssignableFrom(property.PropertyType)) continue;
            var e = property.GetValue(expected);
            var a = property.GetValue(actual);
            Assert.True(Equals(e, a), $"{typeof(T).Name}.{property.Name}: expected <{e}>, got <{a}>");
        }
    }

    public static void SameRun(Orchestration.Runs.Run expected, Orchestration.Runs.Run actual)
    {
        Equal(expected, actual);
        Assert.Equal(expected.Steps.Count, actual.Steps.Count);
        for (var i = 0; i < expected.Steps.Count; i++) Equal(expected.Steps[i], actual.Steps[i]);
        Assert.Equal(expected.Approvals.Count, actual.Approvals.Count);
        for (var i = 0; i < expected.Approvals.Count; i++) Equal(expected.Approvals[i], actual.Approvals[i]);
    }
}
