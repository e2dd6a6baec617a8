import { Flex, Spin } from 'antd';

/** Shown while a page's code loads: in the layout's content area for the areas' pages, else full screen. */
export const PageLoading = ({ fullScreen = false }: { fullScreen?: boolean }) => (
  <Flex align="center" justify="center" style={{ minHeight: fullScreen ? '100vh' : 240 }}>
    <Spin size="large" />
  </Flex>
);
