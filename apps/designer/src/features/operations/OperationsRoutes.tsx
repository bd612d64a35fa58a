import { AlertsPage } from './alerts/AlertsPage.tsx';
import { DecisionPage } from './decisions/DecisionPage.tsx';
import { DecisionsPage } from './decisions/DecisionsPage.tsx';
import { OrderPage } from './orders/OrderPage.tsx';
import { OrdersPage } from './orders/OrdersPage.tsx';
import { SubscriptionsPage } from './subscriptions/SubscriptionsPage.tsx';
import './operations.css';

/** Routes of the operations views (loaded lazily by the shell). */
export default function OperationsRoutes({ segments }: { segments: string[] }) {
  const [section, id, ...rest] = segments;
  if (rest.length > 0) return null;
  switch (section) {
    case 'decisions':
      return id ? <DecisionPage key={id} id={id} /> : <DecisionsPage />;
    case 'orders':
      return id ? <OrderPage key={id} id={id} /> : <OrdersPage />;
    case 'alerts':
      return <AlertsPage />;
    case 'subscriptions':
      return <SubscriptionsPage selectedId={id} />;
    default:
      return null;
  }
}
