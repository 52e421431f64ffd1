print("eduledger")
