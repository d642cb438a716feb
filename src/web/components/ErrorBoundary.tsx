import { Component, type ErrorInfo, type ReactNode } from 'react';
import { ErrorSummaryBox } from './ErrorSummaryBox';

interface State {
  error: Error | null;
}

/** A page that crashes shows an error summary instead of a blank screen. */
export class ErrorBoundary extends Component<{ children: ReactNode; resetKey: string }, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error('Beacon page error', error, info.componentStack);
  }

  override componentDidUpdate(previous: { resetKey: string }): void {
    if (previous.resetKey !== this.props.resetKey && this.state.error) this.setState({ error: null });
  }

  override render(): ReactNode {
    if (this.state.error) {
      return (
        <>
          <ErrorSummaryBox
            title="Sorry, this page could not be shown"
            description={<p>Reload the page to try again. If it keeps happening, tell your administrator.</p>}
          />
          <h1>Something went wrong</h1>
        </>
      );
    }
    return this.props.children;
  }
}
