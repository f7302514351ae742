using RecoveryConsole.Orchestration.Approvals;
using RecoveryConsole.Web.Accounts;

namespace RecoveryConsole.Web.Api;

/// <summary>The actor behind an API call: the token's account with its roles cut to the token's scopes (see ApiTokenAuthentication).</summary>
public static class ApiCaller
{
    public static Actor Actor(this HttpContext http) => http.User.ToActor();
}
