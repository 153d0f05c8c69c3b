import { graphql } from './generated';

export const SendTestNotificationMutation = graphql(`
  mutation SendTestNotification($input: SendTestNotificationInput!) {
    sendTestNotification(input: $input) {
      __typename
      ... on SendTestNotificationSuccess { delivery { target deliveryId httpStatus durationMs } }
      ... on Error { message }
    }
  }
`);
