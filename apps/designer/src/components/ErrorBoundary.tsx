import { Component, type ReactNode } from 'react';
import { Button } from './Button.tsx';
import { Icon } from './Icon.tsx';

/**
 * Keeps a failure inside one page from blanking the whole designer: the page is replaced by a message
 * with a way back, while navigation, toasts and the editor buffers (persisted per tab) survive.
 * `resetKey` (e.g. the route) clears the error when the user goes elsewhere.
 */
export class ErrorBoundary extends Component<
  { resetKey: string; children: ReactNode },
  { error: Error | null }
> {
  override state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override componentDidUpdate(previous: { resetKey: string }) {
    if (previous.resetKey !== this.props.resetKey && this.state.error) this.setState({ error: null });
  }

  override render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <div className="page">
        <div className="empty-state" role="alert">
          <Icon name="error" size={32} />
          <h2>This page failed</h2>
          <p>{error.message}</p>
          <p className="muted">Unsaved edits are kept in this tab; reloading the page brings them back.</p>
          <Button onClick={() => window.location.reload()}>Reload</Button>
        </div>
      </div>
    );
  }
}
