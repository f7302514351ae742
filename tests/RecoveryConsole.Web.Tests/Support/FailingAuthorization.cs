using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace RecoveryConsole.Web.Tests.Support;

/// <summary>
/// An authorization handler that throws while <see cref="Failing"/> is set, as one reading a broken account store
/// would. The router authorizes each page above the layout, so this fails where no page's error boundary can catch
/// it: the circuit itself ends.
/// </summary>
public sealed class FailingAuthorization : IAuthorizationHandler
{
    public const string Message = "The account store could not be read.";

    public volatile bool Failing;

    public void Install(IServiceCollection services) => services.AddSingleton<IAuthorizationHandler>(this);

    public Task HandleAsync(AuthorizationHandlerContext context) =>
        Failing ? throw new InvalidOperationException(Message) : Task.CompletedTask;
}
